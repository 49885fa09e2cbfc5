Console.WriteLine("heddle-proxy");
